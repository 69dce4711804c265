// snn_ram_lanes: a RAM whose words hold LANES values of WIDTH bits, each lane with its own
// write enable, and a registered read port returning whole words. One file initialises it
// (lane 0 in the low bits of each word). Reads and writes happen when `en` is high.
// STYLE is the storage the compiler chose: "block", "distributed" or "registers" (one word).
`default_nettype none
module snn_ram_lanes #(
    parameter LANES = 4,
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter INIT  = "",
    /* verilator lint_off UNUSEDPARAM */
    parameter STYLE = "distributed"
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire                   clk,
    input  wire                   en,
    input  wire [LANES-1:0]       we,
    input  wire [ADDR-1:0]        waddr,
    input  wire [LANES*WIDTH-1:0] wdata,
    input  wire [ADDR-1:0]        raddr,
    output reg  [LANES*WIDTH-1:0] rdata
);
    (* ram_style = STYLE *) reg [LANES*WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        // The file holds every word (zeroing first would hide it from synthesis tools).
        if (INIT != "") $readmemh(INIT, mem);
        else for (i = 0; i < DEPTH; i = i + 1) mem[i] = {(LANES * WIDTH){1'b0}};
        rdata = {(LANES * WIDTH){1'b0}};
    end
    // The read samples the word before this clock's writes (read first).
    // Addresses beyond the last word read zero (only a depth short of 2^ADDR needs the test).
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) if (en) rdata <= mem[raddr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
            always @(posedge clk) if (en) rdata <= {1'b0, raddr} < LIMIT ? mem[raddr] : {(LANES * WIDTH){1'b0}};
        end
    endgenerate
    // One write process per lane, each writing its part of the word: the byte-write template
    // synthesis tools turn into one memory with a write enable per lane.
    genvar l;
    generate
        for (l = 0; l < LANES; l = l + 1) begin : lane
            always @(posedge clk) if (en && we[l]) mem[waddr][WIDTH*l +: WIDTH] <= wdata[WIDTH*l +: WIDTH];
        end
    endgenerate
endmodule
`default_nettype wire
