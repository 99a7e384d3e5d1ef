/**
 * The built-in exercise catalogue: common exercises a user can add to a library without typing a
 * schema, and the names importers map a file's exercises onto (`match.ts`). Pure data; nothing
 * here reads or writes the database.
 *
 * Decisions (each a question a newcomer would ask):
 * - An exercise is one name done with one kind of equipment: "Bench press" with a barbell and with
 *   dumbbells are two entries, because they are logged (and progress) apart. {@link catalogueName}
 *   tells them apart in a list.
 * - `slug` is the stable id: written by hand, never derived, so a name can be reworded without
 *   breaking anything that stored the slug. Convention: the name in kebab case, then the equipment
 *   when the name has several (`bench-press-barbell`, `bench-press-dumbbell`, `plank`).
 * - `measure` says what a set records, and {@link measureAttributes} turns it into the activity's
 *   attributes. Five are enough for the catalogue; a user who wants more adds attributes.
 *   On a bodyweight exercise measured `weight_reps` (a weighted pull-up, an assisted dip) the
 *   Weight is the load added, or the machine's counterweight.
 * - `bodyweight` equipment is "your body is the load" (push-up, plank); `none` is "nothing is
 *   lifted" (running, swimming); `other` is a tool with no category of its own (ab wheel, sled).
 * - Aliases are other names for the same exercise as people and apps write them. They belong to
 *   their entry alone (a "pec deck" is a machine fly, not a dumbbell one). An alias that names
 *   equipment must name the entry's own (a test checks).
 * - Among entries of the same name, the first listed is the default: the one an importer picks
 *   when a file names no equipment (the barbell for the big lifts).
 */
import type { AttributeType } from '@/db/schema/activities'

export const catalogueEquipment = [
  'barbell',
  'dumbbell',
  'machine',
  'cable',
  'kettlebell',
  'bodyweight',
  'band',
  'smith machine',
  'ez bar',
  'trap bar',
  'other',
  'none',
] as const
export type CatalogueEquipment = (typeof catalogueEquipment)[number]

export const muscles = [
  'chest',
  'back',
  'quads',
  'hamstrings',
  'glutes',
  'shoulders',
  'biceps',
  'triceps',
  'core',
  'calves',
  'forearms',
  'full body',
  'cardio',
] as const
export type Muscle = (typeof muscles)[number]

/** What a set of the exercise records. */
export const measures = ['weight_reps', 'reps', 'time', 'distance_time', 'weight_distance'] as const
export type Measure = (typeof measures)[number]

export type CatalogueExercise = {
  readonly slug: string
  /** Sentence case, without the equipment (that is {@link catalogueName}'s to add). */
  readonly name: string
  readonly equipment: CatalogueEquipment
  readonly primaryMuscle: Muscle
  readonly measure: Measure
  readonly aliases: readonly string[]
}

export type CatalogueAttribute = { readonly name: string; readonly type: AttributeType; readonly required?: boolean }

/**
 * The attributes an activity created from a catalogue exercise gets, in order. The names and
 * types are the library's own presets (Weight mass, Reps integer, Distance distance, Time
 * duration). None is required: a set may be logged with what the user has (reps without a weight
 * on a bodyweight day, a run with a time and no distance), and an import writes what the file has.
 */
export const measureAttributes: Readonly<Record<Measure, readonly CatalogueAttribute[]>> = {
  weight_reps: [
    { name: 'Weight', type: 'mass' },
    { name: 'Reps', type: 'integer' },
  ],
  reps: [{ name: 'Reps', type: 'integer' }],
  time: [{ name: 'Time', type: 'duration' }],
  distance_time: [
    { name: 'Distance', type: 'distance' },
    { name: 'Time', type: 'duration' },
  ],
  weight_distance: [
    { name: 'Weight', type: 'mass' },
    { name: 'Distance', type: 'distance' },
  ],
}

function x(
  slug: string,
  name: string,
  equipment: CatalogueEquipment,
  primaryMuscle: Muscle,
  measure: Measure,
  aliases: readonly string[] = [],
): CatalogueExercise {
  return { slug, name, equipment, primaryMuscle, measure, aliases }
}

// One exercise a line: slug, name, equipment, primary muscle, measure, aliases.
export const catalogueExercises: readonly CatalogueExercise[] = [
  // Chest
  x('bench-press-barbell', 'Bench press', 'barbell', 'chest', 'weight_reps', ['flat bench press', 'flat bench']),
  x('bench-press-dumbbell', 'Bench press', 'dumbbell', 'chest', 'weight_reps', ['flat bench press']),
  x('bench-press-smith-machine', 'Bench press', 'smith machine', 'chest', 'weight_reps', ['flat bench press']),
  x('incline-bench-press-barbell', 'Incline bench press', 'barbell', 'chest', 'weight_reps', ['incline press', 'incline bench']),
  x('incline-bench-press-dumbbell', 'Incline bench press', 'dumbbell', 'chest', 'weight_reps', ['incline press', 'incline dumbbell press']),
  x('incline-bench-press-smith-machine', 'Incline bench press', 'smith machine', 'chest', 'weight_reps', ['incline press']),
  x('decline-bench-press-barbell', 'Decline bench press', 'barbell', 'chest', 'weight_reps', ['decline press']),
  x('decline-bench-press-dumbbell', 'Decline bench press', 'dumbbell', 'chest', 'weight_reps', ['decline press']),
  x('close-grip-bench-press-barbell', 'Close-grip bench press', 'barbell', 'triceps', 'weight_reps', ['cgbp', 'narrow grip bench press']),
  x('floor-press-barbell', 'Floor press', 'barbell', 'chest', 'weight_reps'),
  x('chest-press-machine', 'Chest press', 'machine', 'chest', 'weight_reps', ['seated chest press']),
  x('incline-chest-press-machine', 'Incline chest press', 'machine', 'chest', 'weight_reps'),
  x('chest-fly-dumbbell', 'Chest fly', 'dumbbell', 'chest', 'weight_reps', ['fly', 'flat fly', 'pec fly']),
  x('chest-fly-cable', 'Chest fly', 'cable', 'chest', 'weight_reps', ['cable crossover', 'crossover', 'fly']),
  x('chest-fly-machine', 'Chest fly', 'machine', 'chest', 'weight_reps', ['pec deck', 'butterfly', 'fly']),
  x('incline-fly-dumbbell', 'Incline fly', 'dumbbell', 'chest', 'weight_reps', ['incline chest fly']),
  x('push-up', 'Push-up', 'bodyweight', 'chest', 'reps', ['press-up']),
  x('incline-push-up', 'Incline push-up', 'bodyweight', 'chest', 'reps', ['incline press-up']),
  x('diamond-push-up', 'Diamond push-up', 'bodyweight', 'triceps', 'reps', ['close-grip push-up']),
  x('dip', 'Dip', 'bodyweight', 'chest', 'reps', ['parallel bar dip', 'chest dip', 'triceps dip']),
  x('weighted-dip', 'Weighted dip', 'bodyweight', 'chest', 'weight_reps'),
  x('assisted-dip-machine', 'Assisted dip', 'machine', 'chest', 'weight_reps'),
  x('bench-dip', 'Bench dip', 'bodyweight', 'triceps', 'reps'),
  // Back
  x('deadlift-barbell', 'Deadlift', 'barbell', 'back', 'weight_reps', ['conventional deadlift']),
  x('deadlift-trap-bar', 'Deadlift', 'trap bar', 'back', 'weight_reps'),
  x('deadlift-dumbbell', 'Deadlift', 'dumbbell', 'back', 'weight_reps'),
  x('sumo-deadlift-barbell', 'Sumo deadlift', 'barbell', 'glutes', 'weight_reps'),
  x('romanian-deadlift-barbell', 'Romanian deadlift', 'barbell', 'hamstrings', 'weight_reps'),
  x('romanian-deadlift-dumbbell', 'Romanian deadlift', 'dumbbell', 'hamstrings', 'weight_reps'),
  x('single-leg-romanian-deadlift-dumbbell', 'Single-leg Romanian deadlift', 'dumbbell', 'hamstrings', 'weight_reps'),
  x('stiff-legged-deadlift-barbell', 'Stiff-legged deadlift', 'barbell', 'hamstrings', 'weight_reps', ['stiff leg deadlift']),
  x('good-morning-barbell', 'Good morning', 'barbell', 'hamstrings', 'weight_reps'),
  x('rack-pull-barbell', 'Rack pull', 'barbell', 'back', 'weight_reps'),
  x('bent-over-row-barbell', 'Bent-over row', 'barbell', 'back', 'weight_reps', ['row', 'barbell row']),
  x('bent-over-row-dumbbell', 'Bent-over row', 'dumbbell', 'back', 'weight_reps'),
  x('pendlay-row-barbell', 'Pendlay row', 'barbell', 'back', 'weight_reps'),
  x('one-arm-row-dumbbell', 'One-arm row', 'dumbbell', 'back', 'weight_reps', ['row', 'single-arm row', 'dumbbell row']),
  x('t-bar-row', 'T-bar row', 'barbell', 'back', 'weight_reps', ['landmine row']),
  x('seated-row-cable', 'Seated row', 'cable', 'back', 'weight_reps', ['row', 'seated cable row', 'cable row']),
  x('seated-row-machine', 'Seated row', 'machine', 'back', 'weight_reps', ['row', 'machine row']),
  x('chest-supported-row-machine', 'Chest-supported row', 'machine', 'back', 'weight_reps'),
  x('inverted-row', 'Inverted row', 'bodyweight', 'back', 'reps', ['body row', 'australian pull-up']),
  x('pull-up', 'Pull-up', 'bodyweight', 'back', 'reps'),
  x('weighted-pull-up', 'Weighted pull-up', 'bodyweight', 'back', 'weight_reps'),
  x('assisted-pull-up-machine', 'Assisted pull-up', 'machine', 'back', 'weight_reps'),
  x('assisted-pull-up-band', 'Assisted pull-up', 'band', 'back', 'reps', ['band pull-up']),
  x('chin-up', 'Chin-up', 'bodyweight', 'back', 'reps'),
  x('weighted-chin-up', 'Weighted chin-up', 'bodyweight', 'back', 'weight_reps'),
  x('lat-pulldown-cable', 'Lat pulldown', 'cable', 'back', 'weight_reps', ['pulldown', 'wide-grip lat pulldown']),
  x('lat-pulldown-machine', 'Lat pulldown', 'machine', 'back', 'weight_reps', ['pulldown']),
  x('straight-arm-pulldown-cable', 'Straight-arm pulldown', 'cable', 'back', 'weight_reps', ['straight-arm lat pulldown']),
  x('pullover-dumbbell', 'Pullover', 'dumbbell', 'back', 'weight_reps'),
  x('shrug-barbell', 'Shrug', 'barbell', 'back', 'weight_reps', ['shoulder shrug']),
  x('shrug-dumbbell', 'Shrug', 'dumbbell', 'back', 'weight_reps', ['shoulder shrug']),
  x('back-extension', 'Back extension', 'bodyweight', 'back', 'reps', ['hyperextension', 'back hyperextension']),
  // Legs
  x('squat-barbell', 'Squat', 'barbell', 'quads', 'weight_reps', ['back squat', 'high-bar squat', 'low-bar squat']),
  x('squat-smith-machine', 'Squat', 'smith machine', 'quads', 'weight_reps'),
  x('front-squat-barbell', 'Front squat', 'barbell', 'quads', 'weight_reps'),
  x('overhead-squat-barbell', 'Overhead squat', 'barbell', 'quads', 'weight_reps'),
  x('goblet-squat-dumbbell', 'Goblet squat', 'dumbbell', 'quads', 'weight_reps'),
  x('goblet-squat-kettlebell', 'Goblet squat', 'kettlebell', 'quads', 'weight_reps'),
  x('air-squat', 'Air squat', 'bodyweight', 'quads', 'reps', ['bodyweight squat']),
  x('pistol-squat', 'Pistol squat', 'bodyweight', 'quads', 'reps', ['single-leg squat']),
  x('hack-squat-machine', 'Hack squat', 'machine', 'quads', 'weight_reps'),
  x('belt-squat-machine', 'Belt squat', 'machine', 'quads', 'weight_reps'),
  x('leg-press-machine', 'Leg press', 'machine', 'quads', 'weight_reps', ['seated leg press']),
  x('leg-extension-machine', 'Leg extension', 'machine', 'quads', 'weight_reps', ['knee extension']),
  x('lying-leg-curl-machine', 'Lying leg curl', 'machine', 'hamstrings', 'weight_reps', ['leg curl', 'prone leg curl']),
  x('seated-leg-curl-machine', 'Seated leg curl', 'machine', 'hamstrings', 'weight_reps'),
  x('nordic-curl', 'Nordic curl', 'bodyweight', 'hamstrings', 'reps', ['nordic hamstring curl']),
  x('lunge-dumbbell', 'Lunge', 'dumbbell', 'quads', 'weight_reps', ['forward lunge']),
  x('lunge-barbell', 'Lunge', 'barbell', 'quads', 'weight_reps', ['forward lunge']),
  x('lunge-bodyweight', 'Lunge', 'bodyweight', 'quads', 'reps', ['forward lunge']),
  x('reverse-lunge-dumbbell', 'Reverse lunge', 'dumbbell', 'quads', 'weight_reps'),
  x('walking-lunge-dumbbell', 'Walking lunge', 'dumbbell', 'quads', 'weight_reps'),
  x('walking-lunge-bodyweight', 'Walking lunge', 'bodyweight', 'quads', 'reps'),
  x('bulgarian-split-squat-dumbbell', 'Bulgarian split squat', 'dumbbell', 'quads', 'weight_reps', ['rear-foot-elevated split squat']),
  x('split-squat-dumbbell', 'Split squat', 'dumbbell', 'quads', 'weight_reps'),
  x('step-up-dumbbell', 'Step-up', 'dumbbell', 'quads', 'weight_reps', ['box step-up']),
  x('hip-thrust-barbell', 'Hip thrust', 'barbell', 'glutes', 'weight_reps', ['barbell glute bridge']),
  x('hip-thrust-machine', 'Hip thrust', 'machine', 'glutes', 'weight_reps'),
  x('hip-thrust-dumbbell', 'Hip thrust', 'dumbbell', 'glutes', 'weight_reps'),
  x('glute-bridge', 'Glute bridge', 'bodyweight', 'glutes', 'reps', ['hip bridge']),
  x('glute-kickback-cable', 'Glute kickback', 'cable', 'glutes', 'weight_reps', ['cable kickback']),
  x('pull-through-cable', 'Pull-through', 'cable', 'glutes', 'weight_reps', ['cable pull-through']),
  x('hip-abduction-machine', 'Hip abduction', 'machine', 'glutes', 'weight_reps', ['abductor machine']),
  x('standing-calf-raise-machine', 'Standing calf raise', 'machine', 'calves', 'weight_reps', ['calf raise']),
  x('standing-calf-raise-dumbbell', 'Standing calf raise', 'dumbbell', 'calves', 'weight_reps', ['calf raise']),
  x('standing-calf-raise-bodyweight', 'Standing calf raise', 'bodyweight', 'calves', 'reps', ['calf raise']),
  x('seated-calf-raise-machine', 'Seated calf raise', 'machine', 'calves', 'weight_reps'),
  x('calf-press-machine', 'Calf press', 'machine', 'calves', 'weight_reps', ['leg press calf raise']),
  x('box-jump', 'Box jump', 'bodyweight', 'quads', 'reps'),
  // Shoulders
  x('overhead-press-barbell', 'Overhead press', 'barbell', 'shoulders', 'weight_reps', ['military press', 'shoulder press']),
  x('overhead-press-dumbbell', 'Overhead press', 'dumbbell', 'shoulders', 'weight_reps', ['shoulder press', 'seated dumbbell press']),
  x('overhead-press-machine', 'Overhead press', 'machine', 'shoulders', 'weight_reps', ['shoulder press']),
  x('overhead-press-smith-machine', 'Overhead press', 'smith machine', 'shoulders', 'weight_reps', ['shoulder press']),
  x('push-press-barbell', 'Push press', 'barbell', 'shoulders', 'weight_reps'),
  x('arnold-press-dumbbell', 'Arnold press', 'dumbbell', 'shoulders', 'weight_reps'),
  x('lateral-raise-dumbbell', 'Lateral raise', 'dumbbell', 'shoulders', 'weight_reps', ['side raise', 'side lateral raise']),
  x('lateral-raise-cable', 'Lateral raise', 'cable', 'shoulders', 'weight_reps', ['side raise']),
  x('lateral-raise-machine', 'Lateral raise', 'machine', 'shoulders', 'weight_reps', ['side raise']),
  x('front-raise-dumbbell', 'Front raise', 'dumbbell', 'shoulders', 'weight_reps'),
  x('rear-delt-fly-dumbbell', 'Rear delt fly', 'dumbbell', 'shoulders', 'weight_reps', ['reverse fly', 'bent-over lateral raise']),
  x('rear-delt-fly-machine', 'Rear delt fly', 'machine', 'shoulders', 'weight_reps', ['reverse fly', 'reverse pec deck']),
  x('rear-delt-fly-cable', 'Rear delt fly', 'cable', 'shoulders', 'weight_reps', ['reverse fly']),
  x('upright-row-barbell', 'Upright row', 'barbell', 'shoulders', 'weight_reps'),
  x('upright-row-cable', 'Upright row', 'cable', 'shoulders', 'weight_reps'),
  x('face-pull-cable', 'Face pull', 'cable', 'shoulders', 'weight_reps'),
  x('face-pull-band', 'Face pull', 'band', 'shoulders', 'reps'),
  x('band-pull-apart', 'Band pull-apart', 'band', 'shoulders', 'reps', ['pull-apart']),
  x('external-rotation-cable', 'External rotation', 'cable', 'shoulders', 'weight_reps', ['shoulder external rotation']),
  x('handstand-push-up', 'Handstand push-up', 'bodyweight', 'shoulders', 'reps'),
  // Arms
  x('biceps-curl-barbell', 'Biceps curl', 'barbell', 'biceps', 'weight_reps', ['curl', 'standing curl']),
  x('biceps-curl-dumbbell', 'Biceps curl', 'dumbbell', 'biceps', 'weight_reps', ['curl', 'standing curl', 'alternating curl']),
  x('biceps-curl-ez-bar', 'Biceps curl', 'ez bar', 'biceps', 'weight_reps', ['curl']),
  x('biceps-curl-cable', 'Biceps curl', 'cable', 'biceps', 'weight_reps', ['curl']),
  x('hammer-curl-dumbbell', 'Hammer curl', 'dumbbell', 'biceps', 'weight_reps'),
  x('hammer-curl-cable', 'Hammer curl', 'cable', 'biceps', 'weight_reps', ['rope hammer curl']),
  x('preacher-curl-ez-bar', 'Preacher curl', 'ez bar', 'biceps', 'weight_reps'),
  x('preacher-curl-dumbbell', 'Preacher curl', 'dumbbell', 'biceps', 'weight_reps'),
  x('preacher-curl-machine', 'Preacher curl', 'machine', 'biceps', 'weight_reps'),
  x('incline-curl-dumbbell', 'Incline curl', 'dumbbell', 'biceps', 'weight_reps', ['incline biceps curl']),
  x('concentration-curl-dumbbell', 'Concentration curl', 'dumbbell', 'biceps', 'weight_reps'),
  x('reverse-curl-barbell', 'Reverse curl', 'barbell', 'forearms', 'weight_reps', ['reverse-grip curl']),
  x('wrist-curl-barbell', 'Wrist curl', 'barbell', 'forearms', 'weight_reps'),
  x('wrist-curl-dumbbell', 'Wrist curl', 'dumbbell', 'forearms', 'weight_reps'),
  x('triceps-pushdown-cable', 'Triceps pushdown', 'cable', 'triceps', 'weight_reps', ['pushdown', 'rope pushdown']),
  x('overhead-triceps-extension-dumbbell', 'Overhead triceps extension', 'dumbbell', 'triceps', 'weight_reps'),
  x('overhead-triceps-extension-cable', 'Overhead triceps extension', 'cable', 'triceps', 'weight_reps'),
  x('overhead-triceps-extension-ez-bar', 'Overhead triceps extension', 'ez bar', 'triceps', 'weight_reps', ['french press']),
  x('lying-triceps-extension-ez-bar', 'Lying triceps extension', 'ez bar', 'triceps', 'weight_reps', ['skull crusher']),
  x('lying-triceps-extension-barbell', 'Lying triceps extension', 'barbell', 'triceps', 'weight_reps', ['skull crusher']),
  x('lying-triceps-extension-dumbbell', 'Lying triceps extension', 'dumbbell', 'triceps', 'weight_reps', ['skull crusher']),
  x('triceps-extension-machine', 'Triceps extension', 'machine', 'triceps', 'weight_reps'),
  x('triceps-kickback-dumbbell', 'Triceps kickback', 'dumbbell', 'triceps', 'weight_reps', ['kickback']),
  // Core
  x('plank', 'Plank', 'bodyweight', 'core', 'time', ['front plank', 'forearm plank']),
  x('side-plank', 'Side plank', 'bodyweight', 'core', 'time'),
  x('hollow-hold', 'Hollow hold', 'bodyweight', 'core', 'time', ['hollow body hold']),
  x('crunch', 'Crunch', 'bodyweight', 'core', 'reps', ['abdominal crunch']),
  x('cable-crunch', 'Cable crunch', 'cable', 'core', 'weight_reps', ['kneeling cable crunch']),
  x('bicycle-crunch', 'Bicycle crunch', 'bodyweight', 'core', 'reps'),
  x('sit-up', 'Sit-up', 'bodyweight', 'core', 'reps'),
  x('hanging-leg-raise', 'Hanging leg raise', 'bodyweight', 'core', 'reps'),
  x('hanging-knee-raise', 'Hanging knee raise', 'bodyweight', 'core', 'reps', ['knee raise']),
  x('lying-leg-raise', 'Lying leg raise', 'bodyweight', 'core', 'reps', ['leg raise']),
  x('russian-twist', 'Russian twist', 'bodyweight', 'core', 'reps'),
  x('dead-bug', 'Dead bug', 'bodyweight', 'core', 'reps'),
  x('mountain-climber', 'Mountain climber', 'bodyweight', 'core', 'reps'),
  x('ab-wheel-rollout', 'Ab wheel rollout', 'other', 'core', 'reps', ['ab rollout', 'ab wheel']),
  x('pallof-press-cable', 'Pallof press', 'cable', 'core', 'weight_reps'),
  x('woodchop-cable', 'Woodchop', 'cable', 'core', 'weight_reps', ['cable woodchop', 'wood chop']),
  // Full body, carries and grip
  x('farmers-carry-dumbbell', "Farmer's carry", 'dumbbell', 'full body', 'weight_distance', ["farmer's walk"]),
  x('farmers-carry-trap-bar', "Farmer's carry", 'trap bar', 'full body', 'weight_distance', ["farmer's walk"]),
  x('farmers-carry-kettlebell', "Farmer's carry", 'kettlebell', 'full body', 'weight_distance', ["farmer's walk"]),
  x('sled-push', 'Sled push', 'other', 'full body', 'weight_distance', ['prowler push']),
  x('kettlebell-swing', 'Kettlebell swing', 'kettlebell', 'glutes', 'weight_reps', ['russian swing']),
  x('turkish-get-up-kettlebell', 'Turkish get-up', 'kettlebell', 'full body', 'weight_reps'),
  x('power-clean-barbell', 'Power clean', 'barbell', 'full body', 'weight_reps', ['clean']),
  x('clean-and-jerk-barbell', 'Clean and jerk', 'barbell', 'full body', 'weight_reps'),
  x('snatch-barbell', 'Snatch', 'barbell', 'full body', 'weight_reps'),
  x('thruster-barbell', 'Thruster', 'barbell', 'full body', 'weight_reps'),
  x('thruster-dumbbell', 'Thruster', 'dumbbell', 'full body', 'weight_reps'),
  x('burpee', 'Burpee', 'bodyweight', 'full body', 'reps'),
  x('dead-hang', 'Dead hang', 'bodyweight', 'forearms', 'time', ['bar hang']),
  // Cardio
  x('running', 'Running', 'none', 'cardio', 'distance_time', ['run', 'jogging', 'outdoor run']),
  x('treadmill-running', 'Treadmill running', 'machine', 'cardio', 'distance_time', ['treadmill', 'treadmill run']),
  x('walking', 'Walking', 'none', 'cardio', 'distance_time', ['walk']),
  x('hiking', 'Hiking', 'none', 'cardio', 'distance_time', ['hike']),
  x('cycling', 'Cycling', 'none', 'cardio', 'distance_time', ['bike ride', 'biking', 'outdoor cycling']),
  x('stationary-bike', 'Stationary bike', 'machine', 'cardio', 'distance_time', ['indoor cycling', 'exercise bike', 'spin bike']),
  x('air-bike', 'Air bike', 'machine', 'cardio', 'distance_time', ['assault bike', 'fan bike']),
  x('rowing-machine', 'Rowing machine', 'machine', 'cardio', 'distance_time', ['rowing', 'indoor rowing', 'rower', 'erg']),
  x('ski-erg', 'Ski erg', 'machine', 'cardio', 'distance_time', ['skierg']),
  x('elliptical', 'Elliptical', 'machine', 'cardio', 'distance_time', ['elliptical trainer', 'cross trainer']),
  x('swimming', 'Swimming', 'none', 'cardio', 'distance_time', ['swim', 'lap swimming']),
  x('stair-climber', 'Stair climber', 'machine', 'cardio', 'time', ['stairmaster', 'stair stepper']),
  x('jump-rope', 'Jump rope', 'other', 'cardio', 'time', ['skipping', 'skipping rope']),
]

const sharedNames = (() => {
  const seen = new Set<string>()
  const shared = new Set<string>()
  for (const e of catalogueExercises) {
    if (seen.has(e.name)) shared.add(e.name)
    seen.add(e.name)
  }
  return shared
})()

/**
 * The name a list shows: the exercise's name, with its equipment in parentheses when the same
 * name is in the catalogue with other equipment ("Bench press (barbell)", but "Plank").
 */
export function catalogueName(exercise: CatalogueExercise): string {
  return sharedNames.has(exercise.name) ? `${exercise.name} (${exercise.equipment})` : exercise.name
}

const bySlug = new Map(catalogueExercises.map((e) => [e.slug, e]))

/** The catalogue exercise with this slug, if there is one. */
export function catalogueExercise(slug: string): CatalogueExercise | undefined {
  return bySlug.get(slug)
}

/**
 * What an activity made from the exercise says about it: "Dumbbell · chest" (equipment, then the
 * primary muscle; no equipment for an exercise where nothing is lifted, "Cardio").
 */
export function catalogueDescription(exercise: CatalogueExercise): string {
  const muscle = exercise.primaryMuscle
  if (exercise.equipment === 'none') return muscle.charAt(0).toUpperCase() + muscle.slice(1)
  const equipment = exercise.equipment === 'other' ? 'other equipment' : exercise.equipment
  return `${equipment.charAt(0).toUpperCase()}${equipment.slice(1)} · ${muscle}`
}
